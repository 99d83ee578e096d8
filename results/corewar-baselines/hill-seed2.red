;redcode-94
;name evolved
;author evo
;strategy family: oneshot/imp (edited)
        ORG     0
        SPL.B  $15, #1268
        JMP.B  $3, $0
        DAT.F  #0, #11
        DAT.F  }2832, #2832
        ADD.F  $-1, $1
        LDP.I  $107, $123
        DJN.B  $-3380, #1
        MOV.AB $-2, $-2
        SUB.B  #1915, $-3
        SPL.B  #0, #0
        MOV.I  @-8, >-5
        DJN.F  $-1, >-6
        SPL.B  #17, #12
        DAT.F  #12, #12
        DAT.X  {3685, #12
        SPL.B  $16, #0
        SPL.B  $8, #0
        SPL.B  $4, #-10
        SPL.B  $2, #-2080
        JMP.A  $27, $6
        JMP.B  $1169, $-3164
        SPL.B  $2, #-1954
        JMP.B  $2310, $667
        JMP.B  $3452, $0
        SPL.B  $4, #7
        SPL.B  $2, #0
        JMP.B  $-3408, $-2948
        JMP.B  $-2266, $256
        SPL.B  $2, #3320
        JMP.B  $-1125, $1573
        JMP.B  $17, $3456
        SPL.B  $8, #66
        SPL.B  $4, #-1464
        SPL.B  $2, #0
        JMP.B  $1156, $-232
        JMP.B  $2298, @0
        SPL.B  $2, #14
        JMP.B  $3439, $0
        JMP.B  $-3419, $781
        SPL.B  $4, #4
        SPL.B  $2, #2276
        JMP.BA $-2279, $3622
        JMP.B  $-1137, $7
        SPL.B  $2, $1675
        JMP.B  $4, $2686
        JMP.A  $1146, $4
        MOV.I  #78, $1143
