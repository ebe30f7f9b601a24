"""WebSocket routes: the live session chat at ``/ws/chat/<event-id>/``."""

from django.urls import path

from events.chat.consumers import ChatConsumer

websocket_urlpatterns = [
    path("ws/chat/<int:event_id>/", ChatConsumer.as_asgi()),
]
