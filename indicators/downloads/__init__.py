"""Downloads for PCAET authors: indicator sheets, the PCAET workbook, CSV tables and the regional workbook."""
