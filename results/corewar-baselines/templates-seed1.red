;redcode-94
;name evolved
;author evo
;strategy dclear
;design main=dclear(first=52,stun=1,writes=2,loop=0,stream=1104)
msel    dat.f  #0, #msbomb-msel
mptr    dat.f  #0, #58
mstart  spl.b  #0, #0
mloop   mov.i  @msel, >mptr
         mov.i  @msel, >mptr
         djn.f  mloop, >mptr
msbomb  spl.b  #mlast-msel, #mlast-msel
mdbomb  dat.f  #mlast-msel, #mlast-msel
mlast   dat.f  #mlast-msel, #mlast-msel
         end    mstart
