{
  "targets": [
    {
      "target_name": "native_kernels",
      "sources": [
        "native/addon.cc",
        "native/blas.cc",
        "native/conv2d.cc",
        "native/elementwise.cc",
        "native/matmul.cc",
        "native/pool2d.cc",
        "native/thread-pool.cc",
        "native/vector-ops.cc"
      ],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions"],
      "cflags_cc": ["-std=c++17", "-O3", "-fno-math-errno", "-fexceptions"],
      "libraries": ["-ldl", "-pthread"]
    }
  ]
}
