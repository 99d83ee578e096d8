;redcode-94
;name evolved
;author evo
;strategy paper/imp
;design main=paper(procs=3,dest=577,dest2=1493,stages=2,target=1639,bomb=2,bombs=2,mode=1,target2=448) side=imp(points=0,extra=1,decoy=0)
launch   spl.b  sstart, #0
         jmp    mstart
mstart  spl.b  1, #0
         spl.b  1, #0
         spl.b  1, #0
msilk   spl.b  @0, 577
         mov.i  }-1, >-1
         spl.b  @0, 1493
         mov.i  }-1, >-1
         mov.i  mbomb, }1639
         mov.i  mbomb, <448
         jmp    msilk
mbomb   dat.f  >1, >1
sstart   spl.b  sn4_8, #0
         spl.b  sn2_4, #0
         spl.b  sn1_2, #0
         jmp    simp+0
sn1_2    jmp    simp+2667
sn2_4    spl.b  sn3_4, #0
         jmp    simp+5334
sn3_4    jmp    simp+1
sn4_8    spl.b  sn6_8, #0
         spl.b  sn5_6, #0
         jmp    simp+2668
sn5_6    jmp    simp+5335
sn6_8    spl.b  sn7_8, #0
         jmp    simp+2
sn7_8    jmp    simp+2669
simp    mov.i  #0, 2667
         end    launch
