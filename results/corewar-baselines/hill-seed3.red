;redcode-94
;name evolved
;author evo
;strategy family: imp/paper (edited)
        ORG     0
        SPL.B  $34, #3
        JMP.B  $1, $2793
        SPL.B  $-2851, #3162
        SPL.B  $8, #1
        SPL.B  $4, #3105
        SPL.B  $2, #-1587
        JMP.B  $27, $-15
        JMP.B  $2693, $0
        SPL.B  $2, #3526
        JMP.B  $-2642, $3137
        JMP.B  $24, $-2422
        SPL.B  $4, #0
        SPL.B  $2, #-756
        JMP.B  $2688, $-3584
        JMP.B  $-2646, $1043
        SPL.B  $2, #-3
        JMP.B  $19, $0
        JMP.B  $2685, $1827
        SPL.X  $8, #7
        SPL.B  $4, #3
        SPL.B  $2, #1252
        JMP.B  $-2653, $0
        JMP.B  $-1729, $5
        SPL.B  $2, #1745
        JMP.B  $2682, $-1284
        JMP.B  $-2655, $0
        SPL.B  $4, <0
        SPL.B  $3986, #0
        JMP.B  #9, $-902
        JMP.B  $2675, $3472
        SPL.B  $2, #0
        JMP.B  $-2660, $0
        JMP.B  $6, $3247
        MOV.I  #-1084, $2667
        SPL.B  $-588, #-1
        SPL.B  $1, #0
        SPL.B  $1, #55
        SPL.B  $1, #2495
        SPL.B  @0, $655
        MOV.I  }-1, >-1
        SPL.X  @0, $3611
        MOV.I  }-1, >-1
        MOV.I  $2, }-1069
        JMP.B  $-2, *0
        DAT.F  >1, >1
