{{ on_time_mart('month') }}
