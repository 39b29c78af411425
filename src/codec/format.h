/* The binary formats of a matrix file: .npy, or raw elements alone. */
#ifndef PARDOT_FORMAT_H
#define PARDOT_FORMAT_H

enum file_format {
	FORMAT_NPY,
	FORMAT_RAW,
};

#endif
