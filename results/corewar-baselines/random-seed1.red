;redcode-94
;name evolved
;author evo
;strategy shrunk: 10 lines that never ran and never mattered
        ORG     0
        DJN.I  #16, {-693
        MOV.F  <-11, >-10
        NOP.A  }3, <-14
        STP.X  $-15, *2
        STP.B  }-5, >-2689
        NOP.AB @1, {2
        DIV.X  <-12, >16
