{#- Unit x month spine: every unit in force in the month, and every unit with a case in the
    month after it ceased to exist (macro unit_period_spine), for every month from the first
    month of the first year in the data up to the cut-off. The current, unfinished month
    ends at the cut-off (rules.md §6). Every monthly mart has a row here, zeros included. -#}

{{ unit_period_spine('month') }}
