"""WebSocket routes. The live session chat (`/ws/chat/<event-id>/`) lands here."""

websocket_urlpatterns: list = []
