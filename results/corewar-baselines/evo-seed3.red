;redcode-94
;name evolved
;author evo
;strategy family: dclear (edited)
        ORG     2
        DAT.F  #-4, #5
        DAT.F  #0, #91
        SPL.B  #0, #0
        MOV.I  @-3, >-2
        DJN.F  $-1, <-899
        SPL.B  #1432, #7
        DAT.F  #-1489, >7
        DAT.F  #2, #7
