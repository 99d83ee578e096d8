;redcode-94
;name evolved
;author evo
;strategy dclear
;design main=dclear(first=38,stun=1,writes=2,loop=1,stream=-1783)
msel    dat.f  #0, #msbomb-msel
mptr    dat.f  #0, #44
mstart  spl.b  #0, #0
mloop   mov.i  @msel, >mptr
         mov.i  @msel, >mptr
         djn.f  mloop, <-1783
msbomb  spl.b  #mlast-msel, #mlast-msel
mdbomb  dat.f  #mlast-msel, #mlast-msel
mlast   dat.f  #mlast-msel, #mlast-msel
         end    mstart
