"""Reading and writing inventories and results: data files, workbooks, measured energy."""
