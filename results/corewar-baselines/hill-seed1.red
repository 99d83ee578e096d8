;redcode-94
;name evolved
;author evo
;strategy family: clear/imp (edited)
        ORG     0
        SPL.B  $8, @0
        JMP.B  $4, $0
        DAT.X  #3404, #56
        DAT.F  >2, >7
        DJN.AB *2787, @-11
        SPL.F  #0, #0
        MOV.I  $-3, >-4
        DJN.F  $-1, >-5
        SPL.B  $8, #-522
        SPL.B  $4, #0
        SPL.B  $2, #-7
        JMP.B  $12, $1845
        JMP.B  $2678, $3693
        SPL.B  $10, #-4
        JMP.B  $-2657, $2210
        JMP.B  <3538, $0
        SPL.B  $4, #3576
        SPL.B  $2, #2145
        JMP.B  $2673, $732
        JMP.B  $-2661, $3163
        SPL.B  $2, #0
        JMP.A  $4, $-2032
        JMP.F  {2670, $3687
        MOV.I  #-2153, $2667
