"""What the command-line tests' NumPy snippets share: check(name, got,
want) prints "ok NAME" when the two arrays have the same dtype, shape and
bytes, else "FAIL NAME: ..." for the script that reads the lines."""


def check(name, got, want):
    same = got.dtype == want.dtype and got.shape == want.shape and \
        got.tobytes() == want.tobytes()
    print(("ok " if same else "FAIL ") + name +
          ("" if same else ": %s %s vs %s %s" % (got.dtype, got.shape, want.dtype, want.shape)))
