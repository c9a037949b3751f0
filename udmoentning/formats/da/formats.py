# Danish formats as the municipality writes them: 31-01-2025, 1.234,5
DATE_FORMAT = "j. F Y"
SHORT_DATE_FORMAT = "d-m-Y"
DATETIME_FORMAT = "j. F Y H:i"
SHORT_DATETIME_FORMAT = "d-m-Y H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j. F"
DATE_INPUT_FORMATS = ["%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
FIRST_DAY_OF_WEEK = 1
