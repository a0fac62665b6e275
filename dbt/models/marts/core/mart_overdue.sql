{{ overdue_mart('month') }}
