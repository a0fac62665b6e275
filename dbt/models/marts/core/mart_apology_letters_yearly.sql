{{ apology_letters_mart('year') }}
