"""The one error type users see for bad input."""


class PlanError(ValueError):
    """Bad input. The message starts with the field it is about, e.g. ``earnings[3]: ...``.

    ``field`` holds that field's name so an app can show the message next to it.
    """

    def __init__(self, message: str, field: str | None = None):
        if field is None:
            field = message.split(":", 1)[0].strip() if ":" in message else ""
        elif not message.startswith(field):
            message = f"{field}: {message}"
        super().__init__(message)
        self.field = field
