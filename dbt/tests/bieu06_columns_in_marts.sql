-- Every Biểu 06 column of the seed (the one list the report and the quality gate read too)
-- is a column of both unit x period Biểu 06 marts.
with

form_columns as (

    select column_name from {{ ref('bieu06_columns') }}

),

mart_columns as (

    select table_name, column_name
    from information_schema.columns
    where table_schema = '{{ ref('mart_on_time').schema }}'
        and table_name in ('{{ ref('mart_on_time').identifier }}',
                           '{{ ref('mart_on_time_yearly').identifier }}')

),

marts as (

    select distinct table_name from mart_columns

)

select marts.table_name, form_columns.column_name
from marts
cross join form_columns
left join mart_columns
    on marts.table_name = mart_columns.table_name
    and form_columns.column_name = mart_columns.column_name
where mart_columns.column_name is null
