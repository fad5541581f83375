/*
 * axes.h — the axes of a result file's datasets as HDF5 dimension scales
 * (H5DS), so that xarray and netCDF tools see labelled arrays: the scales
 * of labels written with a dataset, and the pass over the finished file
 * that attaches a scale to every axis of every dataset (docs/hdf5-schema.md,
 * "Attributes and axes"). Private to src/io.
 */
#ifndef CETWIN_AXES_H
#define CETWIN_AXES_H

#include "cetwin/result.h"

#include <hdf5.h>

/* Creates the scales of the labels meta gives for dataset dset (at path in
 * file, being written as file_name): columns for the last axis, rows for
 * the first, the dataset's own values for a 1-D dataset with labels set; a
 * scale already present is kept. Serial files only. */
int cet_axes_labels(hid_t file, const char *file_name, hid_t dset, const char *path,
                    const cet_dataset_meta *meta);

/* Attaches a dimension scale to every axis of every dataset of file (being
 * written as file_name), creating the missing ones (see result.h,
 * cet_dataset_meta), and gives every dataset a long_name. Attachments made
 * before (by a copy from another file) are replaced. Only for result
 * files (root attribute `format`; checkpoints are left alone). Serial files only;
 * CET_ERR_RUNTIME when an axis name belongs to a dataset of another length
 * in the same group. */
int cet_axes_attach(hid_t file, const char *file_name);

#endif /* CETWIN_AXES_H */
