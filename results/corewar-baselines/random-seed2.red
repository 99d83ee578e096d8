;redcode-94
;name evolved
;author evo
;strategy shrunk: 6 lines that never ran and never mattered
        ORG     0
        STP.BA <-192, <-13
        SPL.X  #2014, >0
        SPL.A  @-427, $241
        MOV.A  >-4, <-397
        DJN.I  #12, <8
        DAT.X  #-9, @-558
        JMP.AB <7, >7
