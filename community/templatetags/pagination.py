from django import template

from community.page_window import page_window as _page_window

register = template.Library()


@register.simple_tag
def page_window(number: int, last: int) -> list[int | None]:
    """``{% page_window number last as pages %}``: the numbers a pagination bar links (None: a gap)."""
    return _page_window(number=number, last=last)
