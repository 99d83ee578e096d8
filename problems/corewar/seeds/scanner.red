;redcode-94
;name Lookout
;author evo seeds
;strategy Scanner: step through core looking for cells that are not empty and drop a
;strategy DAT bomb on each one found. The step is a multiple of 8 and the first probe
;strategy is 5 mod 8 away, so the scan never lands on the scanner itself.
step    equ     24
scan    add.ab  #step, ptr
ptr     jmz.f   scan, 20
        mov.i   bomb, @ptr
        jmp     scan
bomb    dat.f   #0, #0
        end     scan
