from __future__ import annotations

from rest_framework import serializers

from contracts.models import ContractDocument


class ContractDocumentSerializer(serializers.ModelSerializer):
    download = serializers.SerializerMethodField()

    class Meta:
        model = ContractDocument
        fields = ["id", "title", "original_name", "content_type", "size", "uploaded_at", "download"]

    def get_download(self, document) -> str:
        return f"/api/v1/contracts/{document.contract_id}/documents/{document.pk}/"


class ContractDocumentUploadSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    file = serializers.FileField(help_text="A PDF, DOCX, PNG or JPEG, smaller than 10 MB.")
