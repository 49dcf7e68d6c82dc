"""Reports: the words, the charts, the inspection report's assembly and its rendering (HTML
first, PDF from the same HTML), for the inspection report now and the STCG pack and live grades
next. Reports read the inspection and assurance stages; nothing below imports them."""
