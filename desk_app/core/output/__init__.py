"""Output: the anonymised copies (``writers``, the policy of what each kind of file becomes),
the independent leak scan of every copy (``leakscan``, its own traversal on purpose), the
check of an anonymised copy against its original (``copy_check``) and the replacement report
(``report``)."""
