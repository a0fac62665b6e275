{#- Unit x year spine: every unit in force in the year, for every year in the data up to
    the cut-off's year; the cut-off's year ends at the cut-off. -#}

{{ unit_period_spine('year') }}
