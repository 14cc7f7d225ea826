from django import template

from picdesk.core import roles

register = template.Library()


@register.filter
def has_role(user, role: str) -> bool:
    """``{% if user|has_role:"editor" %}``: show only what the role may do."""
    return roles.has_role(user, role)
