from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = "Events"

    def ready(self) -> None:
        from events import data_rights, signals  # noqa: F401 - registers the receivers

        data_rights.register()  # chat, votes and follows in the member's archive and account deletion
