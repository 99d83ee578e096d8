;redcode-94
;name evolved
;author evo
;strategy shrunk: 1 lines that never ran and never mattered
;strategy family: stone+dclear
        ORG     2
        DAT.F  #-55, #-552
        DAT.F  #1030, #1030
        ADD.F  $-1, $-2
        MOV.I  $-2, @-3
        MOV.I  $-3, *-4
        DJN.B  $-3, #185
        JMP.B  $3, $0
        DAT.F  #0, #6
        DAT.F  #0, #40
        SPL.B  #0, #0
        MOV.I  @-3, >-2
        MOV.I  @-4, >-3
        DJN.F  $-2, >-4
        SPL.B  #8, #8
        DAT.F  #8, #8
        DAT.F  #8, #8
