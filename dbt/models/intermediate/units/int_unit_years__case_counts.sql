{{ unit_period_case_counts('int_unit_years', 'year') }}
