{{ overdue_mart('year') }}
