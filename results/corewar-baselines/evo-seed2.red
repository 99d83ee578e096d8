;redcode-94
;name evolved
;author evo
;strategy family: dclear (edited)
        ORG     2
        DAT.F  #0, <6
        DAT.F  #0, #55
        SPL.B  #0, #0
        MOV.I  @-3, >-2
        MOV.I  @-4, >-3
        DJN.F  $-2, >-4
        SPL.B  #8, #8
        DAT.F  #8, #8
        DAT.F  #8, {8
