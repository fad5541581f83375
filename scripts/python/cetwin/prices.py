"""The price-model reader (/prices/ar of docs/hdf5-schema.md): the AR
model of each price series (order, coefficients and their standard
errors, shock deviation, fit statistics, shock correlation) and its
forecast bands over the cash-flow years."""
import numpy as np
import pandas as pd

from . import _h5


class Prices:
    """Reader of /prices. Model-scale quantities (intercept, sigma) are in
    the series' price unit for scale `level` and 1 for `log` (their
    row_units say which)."""

    def __init__(self, result):
        self.result = result
        self.group = result.h5["prices"]

    @property
    def has_ar(self):
        return "ar" in self.group

    @property
    def _ar(self):
        if not self.has_ar:
            from .result import AnalysisMissing

            raise AnalysisMissing(f"{self.result.path}: no /prices/ar (no AR price model)")
        return self.group["ar"]

    @property
    def series(self):
        """Names of the price series with an AR model, in the twin's order."""
        return _h5.strings(self._ar["series"])

    @property
    def models(self):
        """One row per series: units, scale, order, intercept,
        intercept_se, sigma, aic, n_eff, first_year, last_year."""
        ar = self._ar
        names = ["units", "scale", "order", "intercept", "intercept_se", "sigma", "aic",
                 "n_eff", "first_year", "last_year"]
        frame = _h5.columns(ar, [n for n in names if n in ar])
        frame.index = pd.Index(self.series, name="series")
        return frame

    @property
    def phi(self):
        """AR coefficients φ1 … φ16 (series × lag; NaN beyond the order)."""
        return self._lags("phi")

    @property
    def phi_se(self):
        """Standard errors of the coefficients (series × lag)."""
        return self._lags("phi_se")

    def _lags(self, name):
        frame = _h5.table(self._ar[name], index=self.series)
        frame.columns = pd.Index([int(c) + 1 for c in frame.columns], name="lag")
        frame.index.name = "series"
        frame.attrs["units"] = {c: "1" for c in frame.columns}
        return frame

    def coefficients(self, series):
        """φ1 … φp of one series (its order p) as a numpy array."""
        p = int(self.models.loc[series, "order"])
        return self.phi.loc[series].to_numpy()[:p]

    @property
    def correlation(self):
        """Correlation of the shocks (series × series)."""
        return _h5.table(self._ar["correlation"], index=self.series, columns=self.series)

    @property
    def band_names(self):
        """Names of the bands (lower95, lower75, mean, upper75, upper95)."""
        return _h5.attributes(self._ar)["bands"]

    @property
    def years(self):
        """Calendar year of each cash-flow year of the bands."""
        return [int(y) for y in self._ar["years"][...]]

    def bands(self, series):
        """The forecast bands of one series: calendar year × band, in the
        series' price unit (history years hold the history)."""
        ds = self._ar["bands"]
        names = self.series
        if series not in names:
            raise KeyError(f"no AR model for '{series}' (series: {', '.join(names)})")
        j = names.index(series)
        frame = pd.DataFrame(ds[:, :, j].T, index=pd.Index(self.years, name="year"),
                             columns=pd.Index(self.band_names, name="band"))
        unit = np.broadcast_to(np.asarray(_h5.units(ds), dtype=object), ds.shape)[0, 0, j]
        frame.attrs["units"] = {c: unit for c in frame.columns}
        frame.attrs["series"] = series
        return frame

    @property
    def all_bands(self):
        """Every series' bands in long form: series, year, band, value and
        the series' units."""
        parts = []
        for name in self.series:
            b = self.bands(name)
            long = b.reset_index().melt(id_vars="year", var_name="band", value_name="value")
            long.insert(0, "series", name)
            long["units"] = b.attrs["units"][b.columns[0]]
            parts.append(long)
        return pd.concat(parts, ignore_index=True)
