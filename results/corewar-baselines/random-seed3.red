;redcode-94
;name evolved
;author evo
;strategy shrunk: 3 lines that never ran and never mattered
        ORG     0
        DJN.X  #-2, {2
        MOD.BA @-2667, @2
