using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Rounds.Web.Data.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class CategoryAudiences : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "Premium",
                table: "MembershipPlans",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            // Plans sold before premium standing was a setting: the plan keyed premium, and organization plans, which
            // give premium to everyone on the member's domain. Words in a plan's benefits are not trusted: "upgrade to
            // premium" would open the confidential categories to a basic plan.
            migrationBuilder.Sql("""UPDATE "MembershipPlans" SET "Premium" = TRUE WHERE "Key" = 'premium' OR "Scope" = 1;""");

            migrationBuilder.AddColumn<int>(
                name: "PostAudience",
                table: "CommunityCategories",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<Guid>(
                name: "PostGroupId",
                table: "CommunityCategories",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "ReadAudience",
                table: "CommunityCategories",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<Guid>(
                name: "ReadGroupId",
                table: "CommunityCategories",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_CommunityCategories_PostGroupId",
                table: "CommunityCategories",
                column: "PostGroupId");

            migrationBuilder.CreateIndex(
                name: "IX_CommunityCategories_ReadGroupId",
                table: "CommunityCategories",
                column: "ReadGroupId");

            migrationBuilder.AddForeignKey(
                name: "FK_CommunityCategories_CommunityGroups_PostGroupId",
                table: "CommunityCategories",
                column: "PostGroupId",
                principalTable: "CommunityGroups",
                principalColumn: "Id",
                onDelete: ReferentialAction.SetNull);

            migrationBuilder.AddForeignKey(
                name: "FK_CommunityCategories_CommunityGroups_ReadGroupId",
                table: "CommunityCategories",
                column: "ReadGroupId",
                principalTable: "CommunityGroups",
                principalColumn: "Id",
                onDelete: ReferentialAction.SetNull);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "FK_CommunityCategories_CommunityGroups_PostGroupId",
                table: "CommunityCategories");

            migrationBuilder.DropForeignKey(
                name: "FK_CommunityCategories_CommunityGroups_ReadGroupId",
                table: "CommunityCategories");

            migrationBuilder.DropIndex(
                name: "IX_CommunityCategories_PostGroupId",
                table: "CommunityCategories");

            migrationBuilder.DropIndex(
                name: "IX_CommunityCategories_ReadGroupId",
                table: "CommunityCategories");

            migrationBuilder.DropColumn(
                name: "Premium",
                table: "MembershipPlans");

            migrationBuilder.DropColumn(
                name: "PostAudience",
                table: "CommunityCategories");

            migrationBuilder.DropColumn(
                name: "PostGroupId",
                table: "CommunityCategories");

            migrationBuilder.DropColumn(
                name: "ReadAudience",
                table: "CommunityCategories");

            migrationBuilder.DropColumn(
                name: "ReadGroupId",
                table: "CommunityCategories");
        }
    }
}
