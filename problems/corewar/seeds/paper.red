;redcode-94
;name Paper Chain
;author evo seeds
;strategy Replicator: copy the whole body some distance ahead, start a process in the
;strategy copy, move the next destination one step further, and repeat. Every copy
;strategy does the same, so the warrior spreads faster than it can be bombed.
step    equ     2667
len     equ     (last - ptr + 1)
ptr     dat.f   #0, #0          ; A: source offset, B: destination offset (from ptr)
start   mov.ab  #step, ptr      ; the A field of this line is the current distance
        mov.a   #0, ptr
loop    mov.i   }ptr, >ptr      ; copy one cell, advance both pointers
        slt.a   #len-1, ptr     ; all copied? then skip the jump back
        jmp     loop
        spl.b   *start          ; start the copy (its `start` is `distance` cells ahead)
        add.a   #step, start    ; the next copy goes one step further
last    jmp     start
        end     start
