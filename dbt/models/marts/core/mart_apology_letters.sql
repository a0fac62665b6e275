{{ apology_letters_mart('month') }}
