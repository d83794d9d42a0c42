module kairos/bench/openloop

go 1.22
