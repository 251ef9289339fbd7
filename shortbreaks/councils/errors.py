from django.http import Http404


class RecordNotFound(Http404):
    """Raised for a record that is missing *or* belongs to another council: the same answer.

    It carries what was asked for, so the refusal can be written to the access log.
    """

    def __init__(self, *, object_type: str, object_id):
        super().__init__(f"No {object_type} with that id.")
        self.object_type = object_type
        self.object_id = str(object_id)
