"""When a photo's headline is not a headline: a file name that a camera, a
file system or a script put in the field. The caption checker warns about
such headlines; reader pages never show one."""

import re

# A camera's or a file system's name, not a headline: an image suffix, a
# camera prefix with a frame number, or one word joined by underscores.
FILE_NAME = re.compile(
    r"\.(jpe?g|png|tiff?|heic|heif|webp|dng|cr[23]|nef|arw)$|(?<![a-z0-9])(IMG|DSC[FN]?|DCIM|_MG|GOPR|PXL)_?\d{3,}"
    r"|\w__\w|^[\w.-]*_[\w.-]*\d{3,}[\w.-]*$",
    re.IGNORECASE,
)


def looks_like_file_name(headline: str) -> bool:
    return bool(FILE_NAME.search(headline.strip()))
