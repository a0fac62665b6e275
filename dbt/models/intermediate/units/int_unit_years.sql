{#- Unit x year spine: every unit in force in the year, and every unit with a case in the
    year after it ceased to exist (macro unit_period_spine), for every year in the data up to
    the cut-off's year; the cut-off's year ends at the cut-off. -#}

{{ unit_period_spine('year') }}
