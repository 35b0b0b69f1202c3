"""What every form page shares: turning a refusal into field errors and a summary, written one way."""
from exchange.errors import DomainError
from exchange.text import required_message


def show_refusal(form, error: DomainError) -> None:
    """Attach a service's refusal to the form: each named field, plus the summary message."""
    placed = False
    single = len(error.fields) == 1
    for name, message in error.fields.items():
        message = error.message if single else message  # one field: the full explanation
        field = getattr(form, name, None)
        if field is not None and hasattr(field, "errors"):
            field.errors = list(field.errors or []) + [_sentence(name, field, message)]
            placed = True
    if not placed or not error.fields:
        form.form_errors.append(error.message)


def _sentence(name: str, field, message: str) -> str:
    """A field's problem as a sentence that stands alone in the summary: "Enter a summary.", not "required"."""
    if message == "required":
        return required_message(name)
    if message[:1].islower():  # a terse reason ("at most 5 topics"): name the field it is about
        return f"{field.label.text}: {message}."
    return message


def status_for(form) -> int:
    """422 when the form carries errors, so clients and tests can tell."""
    return 422 if form.errors else 200
