"""Spanish as read in the United States: Spanish dates, US numbers ("$1,234.56") and week.

Django's own "es" formats are Spain's (1.234,56; weeks from Monday); FORMAT_MODULE_PATH puts
these first. They also keep every number the templates print (data attributes, amounts the
scripts parse) in the one form the forms accept back.
"""

DATE_FORMAT = r"j \d\e F \d\e Y"  # 15 de marzo de 2026
SHORT_DATE_FORMAT = "j b Y"  # 15 mar 2026
DATETIME_FORMAT = r"j \d\e F \d\e Y, g:i a"
SHORT_DATETIME_FORMAT = "j b Y, g:i a"
TIME_FORMAT = "g:i a"
MONTH_DAY_FORMAT = r"j \d\e F"
YEAR_MONTH_FORMAT = r"F \d\e Y"
FIRST_DAY_OF_WEEK = 0  # Sunday, as on US calendars
DATE_INPUT_FORMATS = ["%m/%d/%Y", "%Y-%m-%d", "%m/%d/%y"]
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
