"""The networks as CardDAV address books (docs/carddav.md), above the vCard formats as
``transfer`` is: ``cards`` reads (a person's card by the exporter, sync tokens from the
change seam), ``writes`` puts and deletes cards (the importer, then the one contact-record
write path). The protocol is the ``dav`` interface's."""
