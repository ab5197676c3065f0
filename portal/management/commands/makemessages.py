"""Django's makemessages without msgmerge's fuzzy matching.

A new text that only looks like an old one ("The insurer needs the lab results." and "The insurer
refused part of the request.") would otherwise arrive with the old one's Spanish, marked fuzzy;
new texts arrive empty instead, for a person to translate.
"""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]
