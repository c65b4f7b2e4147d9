"""The assistant core (service, library, catalogue, answering), the interfaces and the composition root."""
