from django import template

from picdesk.core import roles
from picdesk.photos import marks

register = template.Library()


@register.filter
def has_role(user, role: str) -> bool:
    """``{% if user|has_role:"editor" %}``: show only what the role may do."""
    return roles.has_role(user, role)


@register.filter
def color_class_name(number: int) -> str:
    """Photo Mechanic's name of a colour class: ``{{ photo.color_class|color_class_name }}``."""
    return marks.color_class_name(number)
