;redcode-94
;name Imp
;author evo seeds
;strategy The simplest survivor: every step copies itself one cell ahead and runs on.
;strategy Hard to kill, but it kills nothing.
imp     mov.i   $0, $1
        end     imp
