# SPEC F1: the module goes in front of files and holds the local lines
# itself; files answers only when the index is unavailable.
services before=files iana [NOTFOUND=return]
protocols before=files iana [NOTFOUND=return]
