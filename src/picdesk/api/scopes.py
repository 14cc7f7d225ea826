"""What an API token may do (api.models.ApiToken.scopes). Plain names, so
the command line can offer them before Django is set up."""

SCOPES = {
    "read": "fetch originals byte for byte, whatever their terms say to the public",
    "upload": "send photos and make draft slideshows",
    "publish": "make slideshows that publish or are scheduled",
}
DEFAULT_SCOPES = ("upload", "publish")  # what every token could do before scopes
