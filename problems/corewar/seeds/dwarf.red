;redcode-94
;name Dwarf
;author evo seeds
;strategy Stone: drop a DAT bomb on every fourth cell, forever. The step divides the
;strategy core size, so the bombs never land on the dwarf's own code.
step    equ     4
loop    add.ab  #step, bomb
        mov.i   bomb, @bomb
        jmp     loop
bomb    dat.f   #0, #0
        end     loop
