-- At most one row of each rule parameter is in force on any receipt date: with two,
-- rule_parameter() would fail on every case and the province's intent would be ambiguous.
with

numbered as (

    select
        *,
        row_number() over (order by parameter, valid_from, valid_to, value) as row_no
    from {{ ref('rule_parameters') }}

)

select earlier.parameter, earlier.valid_from, earlier.valid_to, later.valid_from as overlapping_from
from numbered as earlier
inner join numbered as later
    on earlier.parameter = later.parameter
    and earlier.row_no < later.row_no
    and earlier.valid_from <= coalesce(later.valid_to, 'infinity'::date)
    and later.valid_from <= coalesce(earlier.valid_to, 'infinity'::date)
