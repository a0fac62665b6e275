{{ on_time_mart('year') }}
